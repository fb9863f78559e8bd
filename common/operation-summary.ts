/** What the Web UI shows of an operation's workflow before anyone opens its payloads. */
export interface OperationHeadline {
  jobName: string;
  jobVersion: number;
  scope: string;
  collectionId: string | null;
  itemCount: number | null;
  mode: string;
  requestedBy: string | null;
}

const scopeText = (headline: OperationHeadline) =>
  headline.scope === 'collection'
    ? `collection ${headline.collectionId}`
    : headline.scope === 'items'
      ? `${headline.itemCount ?? 'given'} items`
      : 'global scope';

/** One line: job, scope and mode. */
export function operationSummary(headline: OperationHeadline): string {
  return `${headline.jobName} v${headline.jobVersion} over ${scopeText(headline)} (${headline.mode})`;
}

/** Markdown the Web UI shows as the workflow's details. */
export function operationDetails(headline: OperationHeadline): string {
  return [
    `**Job** ${headline.jobName} (version ${headline.jobVersion})`,
    `**Scope** ${scopeText(headline)}`,
    `**Mode** ${headline.mode}`,
    `**Requested by** ${headline.requestedBy ?? 'unknown'}`,
  ].join('  \n');
}
