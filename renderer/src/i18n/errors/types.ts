import type { MessageId } from '../../../../electron/api/contract/app.ts';

export type { MessageId };

/** One text per engine message id: the type checker insists that every id has one in every language. */
export type ErrorCatalogue = Record<MessageId, string>;
