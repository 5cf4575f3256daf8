// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// An ordered store of a pointer publishes the object it points to, as a
// list's link does: rcu_assign_pointer(), smp_store_release() and xchg()
// order the stores before them, so stores to the object before one on
// every path are init (a node filled in and then queued, as an MCS lock
// does, or a configuration built and then made the active one).  A store
// after the publication, before one on some path only, or to the object
// that holds the slot rather than the one stored in it, races as before.
#include <linux/lock.h>

struct cfg {
	int limit;
	int mode;
	struct cfg *next;
	struct cfg *child;
};

struct cfg *active;
struct cfg *tail;

int cfg_limit(void)
{
	struct cfg *c = rcu_dereference(active);

	return READ_ONCE(c->limit) + READ_ONCE(c->mode);
}

struct cfg *cfg_next(struct cfg *c)
{
	return READ_ONCE(c->next);
}

void cfg_set(struct cfg *c, int limit)
{
	c->limit = limit;
	c->mode = 1;
	rcu_assign_pointer(active, c);
}

void cfg_set_release(struct cfg *c, int limit)
{
	c->limit = limit;
	smp_store_release(&active, c);
}

void cfg_enqueue(struct cfg *c)
{
	struct cfg *prev;

	c->next = NULL;
	prev = xchg(&tail, c);
	if (prev)
		WRITE_ONCE(prev->next, c);
}

void cfg_update(struct cfg *c, int limit)
{
	rcu_assign_pointer(active, c);
	c->limit = limit;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cfg::limit' races with lockless reader cfg_limit() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->limit, limit);
}

void cfg_maybe(struct cfg *c, int limit, int publish)
{
	c->limit = limit;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cfg::limit' races with lockless reader cfg_limit() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->limit, limit);
	if (publish)
		rcu_assign_pointer(active, c);
}

void cfg_link(struct cfg *c, struct cfg *n)
{
	c->mode = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cfg::mode' races with lockless reader cfg_limit() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->mode, 2);
	rcu_assign_pointer(c->child, n);
}
