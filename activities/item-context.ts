import type { Logger } from '../common/log';
import type { HandlerContext, HostAccess, OperationInfo } from '../handlers/define';
import type { createProgressBoard } from './handler-context';
import type { ItemAbort, ItemSignals } from './item-signals';

/** What every item of one stage of a batch shares: made once per batch and stage. */
export interface StageScope<P> {
  host: HostAccess;
  params: P;
  /** Every item's attempt in a version-2 batch; a version-1 batch gives each item its own. */
  attempt: number;
  operation: OperationInfo;
  stageName: string;
  signals: ItemSignals;
  progress: ReturnType<typeof createProgressBoard>;
  /** The batch's logger for this stage; an item's lines add its key. */
  log: Logger;
  addCost(itemId: number, amount: number, unit: string): void;
}

/**
 * A handler's context for one item in one stage. It is made for every item-stage, so it holds
 * four fields and reaches everything else through its stage's scope: what a handler never
 * touches (its signal and timer, a child logger, the cost and progress callbacks) is never made.
 * Members are getters so that a handler may destructure what it uses.
 */
export class ItemContext<P> implements HandlerContext<P> {
  readonly #scope: StageScope<P>;
  readonly #itemId: number;
  readonly #key: string;
  readonly #attempt: number;
  readonly #started = performance.now();
  #abort: ItemAbort | undefined;
  #reported = false;

  constructor(scope: StageScope<P>, itemId: number, key: string, attempt = scope.attempt) {
    this.#scope = scope;
    this.#itemId = itemId;
    this.#key = key;
    this.#attempt = attempt;
  }

  get params(): P {
    return this.#scope.params;
  }
  get attempt(): number {
    return this.#attempt;
  }
  get operation(): OperationInfo {
    return this.#scope.operation;
  }
  get stageName(): string {
    return this.#scope.stageName;
  }
  get files(): HostAccess['files'] {
    return this.#scope.host.files;
  }
  get fetch(): HostAccess['fetch'] {
    return this.#scope.host.fetch;
  }
  get connect(): HostAccess['connect'] {
    return this.#scope.host.connect;
  }
  get signal(): AbortSignal {
    this.#abort ??= this.#scope.signals.make(this.#started);
    return this.#abort.controller.signal;
  }
  get cost(): HandlerContext<P>['cost'] {
    return (amount, unit) => this.#scope.addCost(this.#itemId, amount, unit);
  }
  get progress(): HandlerContext<P>['progress'] {
    return (fraction, note) => {
      this.#reported = true;
      this.#scope.progress.report(this.#key, fraction, note);
    };
  }
  get log(): Logger {
    return this.#scope.log.child({ itemKey: this.#key, itemId: this.#itemId });
  }

  /** The item is over in this stage: its timer stops and its progress leaves the board. */
  end(): void {
    if (this.#abort) this.#scope.signals.release(this.#abort);
    if (this.#reported) this.#scope.progress.end(this.#key);
  }
}
