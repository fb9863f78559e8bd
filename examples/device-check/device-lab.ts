/**
 * A lab of simulated network devices on 127.0.0.1, one TCP port each, so the device-check
 * example runs without a network: a device reads one command line, answers it as its platform
 * would, and closes the session.
 *
 *   npx tsx examples/device-check/device-lab.ts     # the ports of lab.json; Ctrl-C stops it
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface LabDevice {
  hostname: string;
  port: number;
  platform: 'eos' | 'ios-xe';
  model: string;
  version: string;
  ntp: string[];
}

export interface DeviceLab {
  /** Where each device listens, by hostname (the ports asked for, or the ones given for 0). */
  ports: Record<string, number>;
  close(): Promise<void>;
}

export const labFile = join(dirname(fileURLToPath(import.meta.url)), 'lab.json');

export function readLab(): LabDevice[] {
  return (JSON.parse(readFileSync(labFile, 'utf8')) as { devices: LabDevice[] }).devices;
}

/** A number from the hostname, so serials, uptimes and addresses are the same on every run. */
function seed(hostname: string): number {
  return createHash('sha256').update(hostname).digest().readUInt32BE(0);
}

function showVersion(device: LabDevice): string {
  const n = seed(device.hostname);
  const uptime = `${(n % 40) + 2} weeks, ${n % 7} days, ${n % 24} hours`;
  if (device.platform === 'eos') {
    return [
      `Arista ${device.model}`,
      'Hardware revision: 11.01',
      `Serial number: JPE${(n % 100_000_000).toString().padStart(8, '0')}`,
      `Software image version: ${device.version}`,
      'Architecture: x86_64',
      `Uptime: ${uptime}`,
    ].join('\n');
  }
  return [
    `Cisco IOS XE Software, Version ${device.version}`,
    `${device.hostname} uptime is ${uptime}`,
    `cisco ${device.model} (X86) processor with 1863083K/6147K bytes of memory.`,
    `Processor board ID FOC${(n % 100_000_000).toString().padStart(8, '0')}`,
  ].join('\n');
}

function showRunningConfig(device: LabDevice): string {
  const n = seed(device.hostname);
  return [
    `! device: ${device.hostname} (${device.model}, ${device.platform} ${device.version})`,
    `hostname ${device.hostname}`,
    '!',
    ...device.ntp.map((server) => `ntp server ${server}`),
    '!',
    'logging host 10.0.0.20',
    'snmp-server community conveyor-ro RO',
    '!',
    'interface Loopback0',
    ` ip address 10.255.${(n >> 8) % 256}.${n % 256} 255.255.255.255`,
    '!',
    'end',
  ].join('\n');
}

function answer(device: LabDevice, command: string): string {
  switch (command.trim().replace(/\s+/g, ' ')) {
    case 'show version':
      return showVersion(device);
    case 'show running-config':
      return showRunningConfig(device);
    default:
      return `% Invalid input detected at '^' marker.\n${device.hostname}#`;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Starts one listener per device; `portFor` may move them (0 picks a free port, for tests). */
export async function startDeviceLab(
  devices: LabDevice[],
  { host = '127.0.0.1', portFor = (device: LabDevice) => device.port } = {},
): Promise<DeviceLab> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const ports: Record<string, number> = {};
  try {
    for (const device of devices) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          received += chunk;
          const newline = received.indexOf('\n');
          if (newline >= 0) socket.end(`${answer(device, received.slice(0, newline))}\n`);
        });
        socket.on('error', () => socket.destroy());
      });
      servers.push(server);
      ports[device.hostname] = await listen(server, portFor(device), host);
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  return {
    ports,
    async close() {
      const closed = servers.map((server) => new Promise((resolve) => server.close(resolve)));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lab = await startDeviceLab(readLab());
  for (const [hostname, port] of Object.entries(lab.ports)) {
    console.log(`${hostname.padEnd(12)} 127.0.0.1:${port}`);
  }
  console.log('device lab running; Ctrl-C stops it');
  process.once('SIGINT', () => void lab.close().then(() => process.exit(0)));
}
