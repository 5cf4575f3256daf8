// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// "This function marks the field elsewhere" weighs less when the marked
// access is of another object, each reached through a variable of its own:
// a queue node's plain init of node->next beside WRITE_ONCE(prev->next,
// node) (qspinlock's MCS nodes, rcu_cblist's srclp/drclp).  The same
// variable, or paths that may alias (q->tail->next beside tail->next),
// keep the full weight.
#include <linux/lock.h>

struct qnode {
	struct qnode *next;
	int locked;
};

struct queue {
	struct qnode *tail;
};

struct qnode *qnode_next(struct qnode *n)
{
	return READ_ONCE(n->next);
}

void qnode_link(struct qnode *prev, struct qnode *node)
{
	node->next = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'qnode::next' races with lockless reader qnode_next(); qnode_link() writes another object's with WRITE_ONCE() (confidence: medium, 67) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: qnode_next() reads 'n->next' locklessly with READ_ONCE()
	// CHECK-MESSAGES: :[[@LINE+2]]:13: note: qnode_link() writes another object's with WRITE_ONCE() here
	// CHECK-FIXES: WRITE_ONCE(node->next, 0);
	WRITE_ONCE(prev->next, node);
}

void qnode_unlink(struct qnode *node)
{
	node->next = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'qnode::next' races with lockless reader qnode_next(); qnode_unlink() writes it with WRITE_ONCE() elsewhere (confidence: high, 87) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: qnode_next() reads 'n->next' locklessly with READ_ONCE()
	// CHECK-MESSAGES: :[[@LINE+2]]:13: note: qnode_unlink() writes it with WRITE_ONCE() here
	// CHECK-FIXES: WRITE_ONCE(node->next, 0);
	WRITE_ONCE(node->next, node);
}

void queue_append(struct queue *q, struct qnode *tail)
{
	tail->next = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'qnode::next' races with lockless reader qnode_next(); queue_append() writes it with WRITE_ONCE() elsewhere (confidence: high, 87) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: qnode_next() reads 'n->next' locklessly with READ_ONCE()
	// CHECK-MESSAGES: :[[@LINE+2]]:13: note: queue_append() writes it with WRITE_ONCE() here
	// CHECK-FIXES: WRITE_ONCE(tail->next, 0);
	WRITE_ONCE(q->tail->next, tail);
}
