// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Two members of one union type are two objects: the READ_ONCE() of the
// trace flags is no lockless reader of the other member's flags.  It is
// still the field's convention where a plain reader of the same member
// races with the store, and the notes say it is another member's, not
// another kind of object's.  Members below an arm are not told apart from
// a pointer into the arm: p->cur.hits is d->u.a.cur.hits.
#include <linux/lock.h>

union flags {
	struct {
		unsigned char blocked;
		unsigned char need_qs;
	} b;
	unsigned int s;
};

struct task {
	union flags special;
	union flags trace_special;
};

struct waiter {
	union flags f;
};

int trace_blocked(struct task *t)
{
	return READ_ONCE(t->trace_special.b.blocked);
}

int waiter_blocked(struct waiter *w)
{
	return READ_ONCE(w->f.b.blocked);
}

void task_exit(struct task *t)
{
	WRITE_ONCE(t->special.b.blocked, 0);
}

int note_switch(struct task *t)
{
	int was = t->special.b.blocked;
	// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: plain load of 'flags.b::blocked' races with task_exit(), which writes it with WRITE_ONCE(); note_switch() reads it with READ_ONCE() elsewhere (confidence: high, 72) [kmark-missing-read-once]
	// CHECK-MESSAGES: :39:13: note: task_exit() writes 't->special.b.blocked' with WRITE_ONCE(), on an object of this kind (task)
	// CHECK-FIXES: int was = READ_ONCE(t->special.b.blocked);

	t->special.b.blocked = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'flags.b::blocked' races with lockless reader note_switch(); trace_blocked() reads it with READ_ONCE() on another member (confidence: medium, 67) [kmark-missing-write-once]
	// CHECK-MESSAGES: :29:19: note: trace_blocked() reads 't->trace_special.b.blocked' with READ_ONCE(), on another member ('trace_special')
	// CHECK-FIXES: WRITE_ONCE(t->special.b.blocked, 1);
	return was + READ_ONCE(t->special.b.blocked);
}

struct stats {
	unsigned int hits;
};

struct dev {
	spinlock_t lock;
	union {
		struct {
			struct stats cur;
			struct stats old;
		} a;
		unsigned long raw[4];
	} u;
};

unsigned int cur_hits(struct dev *d)
{
	return READ_ONCE(d->u.a.cur.hits);
}

void cur_reset(struct dev *d, typeof(d->u.a) *p)
{
	spin_lock(&d->lock);
	p->cur.hits = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'stats::hits' races with lockless reader cur_hits(), which holds no lock; this store holds 'dev::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->cur.hits, 0);
	spin_unlock(&d->lock);
}
