// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A plain lockless reader in the store's file adds to a store's confidence
// as a second context that reads the field concurrently.  The cited marked
// reader's own function, reading the field again plainly, is not one: the
// same context counted twice (an endpoint's destroy path that reads its
// state with READ_ONCE() and then again plainly).  A plain reader in
// another function still counts.
#include <linux/compiler.h>

struct endpoint {
	int state;
	int flags;
};

struct seq_operations {
	int (*show)(struct endpoint *ep);
};

int ep_destroy(struct endpoint *ep)
{
	if (READ_ONCE(ep->state) == 2)
		return 0;
	return ep->state == 3;
}

void ep_complete(struct endpoint *ep)
{
	WRITE_ONCE(ep->state, 4);
}

void ep_set_state(struct endpoint *ep, int s)
{
	ep->state = s;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'endpoint::state' races with lockless reader ep_destroy() (confidence: low, 37) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:16: note: ep_destroy() reads 'ep->state' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(ep->state, s);
}

int ep_poll(struct endpoint *ep)
{
	return READ_ONCE(ep->flags);
}

void ep_clear(struct endpoint *ep)
{
	WRITE_ONCE(ep->flags, 0);
}

static int ep_seq_show(struct endpoint *ep)
{
	return ep->flags & 1;
}

const struct seq_operations ep_seq_ops = { .show = ep_seq_show };

void ep_set_flags(struct endpoint *ep, int f)
{
	ep->flags = f;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'endpoint::flags' races with lockless reader ep_poll(); ep_seq_show() reads it locklessly in this file (confidence: high, 77) [kmark-missing-write-once]
	// CHECK-MESSAGES: :51:9: note: ep_seq_show() reads it without a lock here
	// CHECK-FIXES: WRITE_ONCE(ep->flags, f);
}
