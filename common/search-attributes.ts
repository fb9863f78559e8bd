import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './constants';
import type { ScheduledOperation } from './schedules';

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

/**
 * An operation's workflow's search attributes, typed as Temporal takes them: one mapping for
 * the API's start and a schedule run's child start (operations/workflow-start.ts builds the
 * values; a workflow cannot import it).
 */
export const typedSearchAttributes = (attributes: ScheduledOperation['searchAttributes']) => [
  { key: keyword(SEARCH_ATTRIBUTES.tenant), value: attributes.tenant },
  { key: keyword(SEARCH_ATTRIBUTES.job), value: attributes.job },
  { key: keyword(SEARCH_ATTRIBUTES.collection), value: attributes.collection },
  { key: keyword(SEARCH_ATTRIBUTES.mode), value: attributes.mode },
];
