// Package notifications tells people what happens in the marketplace: live,
// over GraphQL subscriptions fed by a broker (in-process, or Redis across
// replicas); in their inbox; and by push, through Firebase Cloud Messaging.
//
// The market's events arrive at the Sink inside the transaction of the
// change. Inbox rows and River jobs (push, fan-out, expiries, reminders) are
// written in that transaction, so a rollback sends nothing and a crash loses
// nothing; live events are published once the transaction commits.
package notifications
