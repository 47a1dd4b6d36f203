import { Badge, DateTime } from '../components';
import { skipReasonWords } from '../nps-words';

/** A follow-up's state as the people closing the loop read it; an open one past its due time is overdue (rules §6). */
export function FollowUpState({
  followUp,
  now,
}: {
  followUp: { status: string; dueAt: Date | string | null; completedAt: Date | string | null; skipReason: string | null };
  now: Date;
}) {
  switch (followUp.status) {
    case 'completed':
      return (
        <>
          <Badge tone="good">closed</Badge> <DateTime at={followUp.completedAt} />
        </>
      );
    case 'open':
      return followUp.dueAt && new Date(followUp.dueAt) < now ? <Badge tone="bad">overdue</Badge> : <Badge tone="waiting">open</Badge>;
    case 'pending':
      return <Badge tone="waiting">being created</Badge>;
    case 'failed':
      return <Badge tone="bad">refused by the vendor</Badge>;
    case 'skipped':
    case 'cancelled':
      return (
        <>
          <Badge tone="neutral">{followUp.status}</Badge>
          {followUp.skipReason ? ` ${skipReasonWords(followUp.skipReason)} ` : null}
          {followUp.skipReason ? <code>{followUp.skipReason}</code> : null}
        </>
      );
    default:
      return <Badge tone="neutral">{followUp.status}</Badge>;
  }
}
