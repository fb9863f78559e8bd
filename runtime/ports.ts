import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { portInUseError } from '../common/start-error';
import { type Deadline, describeProcess } from './processes';

/** True when nothing listens on host:port, found by listening there for a moment. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on host:port. */
export function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1_000);
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** Ports this process handed out, so two callers never get the same one. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on now, picked at random between 20000 and 32000, below the kernel's
 * ephemeral range (32768 and up). A port the kernel chose for a listener and let go of can be
 * chosen again as the source port of any outgoing connection (to Postgres, to Temporal) before
 * the process meant to listen there binds it, which then fails to start; ports below that range
 * are never handed to connections.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port) || !(await isPortFree(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('No free port between 20000 and 32000: free some and retry.');
}

/** Socket inodes listening on `port`, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':').pop() ?? '', 16);
      // State 0A is LISTEN; field 9 is the socket's inode.
      if (localPort === port && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Who listens on `port`, as "pid N (name)", when /proc lets us see it (root sees all). */
export function portHolder(port: number): string | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1] && inodes.has(match[1])) return describeProcess(Number(pid));
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return undefined;
}

export interface PortWait {
  /** What needs the port, for messages: "embedded Postgres". */
  what: string;
  /** The variable that moves it: "POSTGRES_PORT". */
  variable: string;
  deadline: Deadline;
  log: (line: string) => void;
  /**
   * How long a busy port may stay busy. A program that is exiting (a killed Conveyor's last
   * child) frees its port within moments; one that keeps it is another program, and waiting the
   * whole start timeout for it would only delay the message that says so.
   */
  graceMs?: number;
}

/** Resolves once `port` is free; throws a StartError naming the port and the fix if it stays busy. */
export async function waitForFreePort(port: number, wait: PortWait): Promise<void> {
  const until = Math.min(wait.deadline.at, Date.now() + (wait.graceMs ?? 10_000));
  let said = false;
  while (!(await isPortFree(port))) {
    const holder = portHolder(port);
    if (Date.now() >= until) throw portInUseError(wait.what, port, wait.variable, holder);
    if (!said) {
      wait.log(`Waiting for port ${port} to be free (held by ${holder ?? 'another program'}) …`);
      said = true;
    }
    await sleep(250);
  }
}
