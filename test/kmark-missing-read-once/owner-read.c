// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=low -- %kernel_flags
// A function that writes a field with WRITE_ONCE() or a release, where no
// other function's marked store races, is the field's writer: its own
// plain reads race with no other store, only with the readers it marks
// the store for.  Such a read is kept at the low tier.  A second marking
// writer elsewhere makes the read a race again.
#include <linux/compiler.h>

struct txq {
	unsigned int head;
	unsigned int tail;
	unsigned int budget;
	unsigned int hits;
	unsigned int drops;
};

unsigned int txq_space(struct txq *q)
{
	return READ_ONCE(q->head) - smp_load_acquire(&q->tail);
}

/* The completion path: it alone moves tail, and releases it to txq_space(). */
void txq_complete(struct txq *q, unsigned int n)
{
	unsigned int t = q->tail;
	// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: plain load of 'txq::tail', which txq_space() reads with smp_load_acquire(); txq_complete() reads it with READ_ONCE() elsewhere (confidence: low, 31) [kmark-missing-read-once]
	// CHECK-FIXES: unsigned int t = READ_ONCE(q->tail);
	// CHECK-MESSAGES: :[[@LINE+2]]:21: note: txq_complete() writes it with smp_store_release() here: the field's only marking writer, whose own reads need no marking

	smp_store_release(&q->tail, t + n);
	if (READ_ONCE(q->tail) == READ_ONCE(q->head))
		q->budget = 0;
}

/* budget has two marking writers: the refill's read races with the reset. */
void txq_reset_budget(struct txq *q)
{
	WRITE_ONCE(q->budget, 0);
}

unsigned int txq_budget(struct txq *q)
{
	return READ_ONCE(q->budget);
}

void txq_refill(struct txq *q, unsigned int n)
{
	unsigned int b = q->budget;
	// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: plain load of 'txq::budget' races with txq_reset_budget(), which writes it with WRITE_ONCE(); txq_refill() reads it with READ_ONCE() elsewhere (confidence: high, 71) [kmark-missing-read-once]
	// CHECK-FIXES: unsigned int b = READ_ONCE(q->budget);

	if (READ_ONCE(q->budget) < n)
		WRITE_ONCE(q->budget, b + n);
}

/* A counter bumped in its own store's value: another CPU running the
 * function stores beside this read, so it is no owner's read. */
unsigned int txq_hits(struct txq *q)
{
	return READ_ONCE(q->hits);
}

void txq_hit(struct txq *q)
{
	WRITE_ONCE(q->hits, q->hits + 1);
	// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: plain load of 'txq::hits', which txq_hits() reads with READ_ONCE(); no lock is visibly held in txq_hit() (confidence: low, 30) [kmark-missing-read-once]
	// CHECK-FIXES: WRITE_ONCE(q->hits, READ_ONCE(q->hits) + 1);
}

/* The same, with the value on the store's next line. */
unsigned int txq_drops(struct txq *q)
{
	return READ_ONCE(q->drops);
}

void txq_drop(struct txq *q)
{
	WRITE_ONCE(q->drops,
		   q->drops + 1);
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'txq::drops', which txq_drops() reads with READ_ONCE(); no lock is visibly held in txq_drop() (confidence: low, 30) [kmark-missing-read-once]
	// CHECK-FIXES: READ_ONCE(q->drops) + 1);
}
