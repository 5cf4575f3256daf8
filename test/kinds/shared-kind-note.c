// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A helper that marks a field of whatever its callers pass (skb queues of
// a Qdisc and of a driver) is cited for the kind the flagged access shares
// with it, not for the first kind it has: at the call that passes that
// kind's member.  The helper's own read, in the value it writes, races
// with its own store on another CPU, which no finding names.
#include <linux/lock.h>

struct queue {
	unsigned int len;
};

struct alpha {
	struct queue q;
};

struct zeta {
	struct queue q;
};

static inline void queue_add(struct queue *q)
{
	WRITE_ONCE(q->len, q->len + 1);
}

void alpha_push(struct alpha *a)
{
	queue_add(&a->q);
}

void zeta_push(struct zeta *z)
{
	queue_add(&z->q);
}

unsigned int zeta_pending(struct zeta *z)
{
	return z->q.len;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'queue::len' races with zeta_push(), which writes it with WRITE_ONCE() through queue_add(); no lock is visibly held in zeta_pending() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :33:13: note: zeta_push() writes 'z->q.len' with WRITE_ONCE() through queue_add(), on an object of this kind (zeta)
	// CHECK-FIXES: return READ_ONCE(z->q.len);
}
