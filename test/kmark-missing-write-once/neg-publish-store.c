// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// An ordered store of a pointer publishes the object it points to, as a
// list's link does: rcu_assign_pointer(), smp_store_release() and xchg()
// order the stores before them, so stores to the object before one on
// every path are init (a node filled in and then queued, as an MCS lock
// does, or a configuration built and then made the active one).  A store
// after the publication, before one on some path only, or to the object
// that holds the slot rather than the one stored in it, races as before;
// so does one to an object the function loaded from memory (the next
// entry of a list may be live already) or that another macro inside the
// argument only reads.
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

void cfg_push(struct cfg *c, struct cfg *old)
{
	c->next = old;
	cmpxchg(&tail, old, c);
}

/* A retry loop sees its own earlier attempt: c may be published. */
void cfg_push_loop(struct cfg *c)
{
	struct cfg *old;

	do {
		old = READ_ONCE(tail);
		c->next = old;
		// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain store to 'cfg::next' races with lockless reader cfg_next() (confidence: low, 37) [kmark-missing-write-once]
		// CHECK-FIXES: WRITE_ONCE(c->next, old);
	} while (cmpxchg(&tail, old, c) != old);
}

/* o is copied inside the argument, but an entry of it is stored. */
#define cfg_first(o)                                                   \
	({                                                             \
		struct cfg *kt_o = (o);                                \
		kt_o->child;                                           \
	})

void cfg_promote(struct cfg *o)
{
	o->mode = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cfg::mode' races with lockless reader cfg_limit() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(o->mode, 3);
	rcu_assign_pointer(active, cfg_first(o));
}

struct cfg *cfg_new(void);

/* Made by a call here: init too. */
void cfg_install(void)
{
	struct cfg *n = cfg_new();

	n->limit = 1;
	rcu_assign_pointer(active, n);
}

/* Loaded from memory, the next one may be live already. */
void cfg_advance(struct cfg *c)
{
	struct cfg *next = c->child;

	next->limit = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'cfg::limit' races with lockless reader cfg_limit() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(next->limit, 0);
	rcu_assign_pointer(active, next);
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

/* A profile in use is changed with WRITE_ONCE(); a new one is filled in
 * and then installed.  The value that reaches the ordered store decides,
 * not every value the local ever holds; an element of an array member is
 * part of the object stored. */
struct level {
	int cap;
};

struct prof {
	int rate;
	int burst;
	struct level lv[2];
};

struct prof *cur_prof;
struct prof *prof_new(void);

int prof_rate(void)
{
	struct prof *p = rcu_dereference(cur_prof);

	return READ_ONCE(p->rate) + READ_ONCE(p->burst) + READ_ONCE(p->lv[1].cap);
}

void prof_set(int rate)
{
	struct prof *p = rcu_dereference(cur_prof);

	if (p) {
		WRITE_ONCE(p->rate, rate);
		WRITE_ONCE(p->lv[0].cap, rate);
	} else {
		p = prof_new();
		if (!p)
			return;
		p->rate = rate;
		p->lv[0].cap = rate;
		rcu_assign_pointer(cur_prof, p);
	}
}

/* The loaded value reaches the store on one path: it may be live. */
void prof_refresh(int burst, int fresh)
{
	struct prof *p = rcu_dereference(cur_prof);

	if (fresh)
		p = prof_new();
	p->burst = burst;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'prof::burst' races with lockless reader prof_rate() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->burst, burst);
	rcu_assign_pointer(cur_prof, p);
}
