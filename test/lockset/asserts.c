// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// RUN: %check_kmark %s 'kmark-*' %t.lockdep --config MinConfidence=0 -- %kernel_flags -DCONFIG_LOCKDEP
// A lock assertion at the top of a function, or a __must_hold()
// annotation, says its callers hold the lock: it is held in the whole
// body.  An assertion further down says the lock is held from there on,
// on that path only.  Both forms of lockdep_assert_held(): `(void)(lock)`
// without lockdep, a call that reads the lock's dep_map with it.  An
// annotation names a lock inside an anonymous struct as well.
#include <linux/lock.h>

struct node {
	spinlock_t lock;
	unsigned int val;
	unsigned int cnt;
	unsigned int gen;
};

void node_set(struct node *n, unsigned int v)
{
	spin_lock(&n->lock);
	WRITE_ONCE(n->val, v);
	WRITE_ONCE(n->cnt, v);
	WRITE_ONCE(n->gen, v);
	spin_unlock(&n->lock);
}

unsigned int node_val_locked(struct node *n)
{
	lockdep_assert_held(&n->lock);
	return n->val;
}

unsigned int node_count(struct node *n, int locked)
{
	unsigned int x;

	if (locked) {
		lockdep_assert_held(&n->lock);
		x = n->cnt;
	} else {
		x = n->cnt;
		// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain load of 'node::cnt' races with node_set(), which writes it with WRITE_ONCE(); no lock is visibly held in node_count() (confidence: low, 35) [kmark-missing-read-once]
		// CHECK-MESSAGES: :22:13: note: node_set() writes 'n->cnt' with WRITE_ONCE()
		// CHECK-FIXES: x = READ_ONCE(n->cnt);
	}
	return x;
}

unsigned int node_gen_locked(struct node *n) __must_hold(&n->lock)
{
	return n->gen;
}

struct ring_ctx {
	struct {
		spinlock_t lock;
		unsigned int head;
	};
};

void ring_advance(struct ring_ctx *c)
{
	spin_lock(&c->lock);
	WRITE_ONCE(c->head, c->head + 1);
	spin_unlock(&c->lock);
}

/* Was "no lock is visibly held": the annotation named no lock. */
unsigned int ring_head_locked(struct ring_ctx *c) __must_hold(&c->lock)
{
	return c->head;
}
