// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A function stored in an ops slot runs where the tree calls through that
// slot: every qdisc's .dump runs under RTNL because the one place that
// calls ops->dump holds it.  A slot called without the lock somewhere
// gives its functions no lock.
#include <linux/lock.h>

struct qdisc;

struct qdisc_ops {
	int (*dump)(struct qdisc *q);
	int (*peek)(struct qdisc *q);
};

struct qdisc {
	const struct qdisc_ops *ops;
	unsigned int limit;
	unsigned int backlog;
};

void qdisc_change(struct qdisc *q, unsigned int limit, unsigned int backlog)
{
	rtnl_lock();
	WRITE_ONCE(q->limit, limit);
	WRITE_ONCE(q->backlog, backlog);
	rtnl_unlock();
}

int qdisc_dump_all(struct qdisc *q)
{
	int r;

	rtnl_lock();
	r = q->ops->dump(q);
	rtnl_unlock();
	return r;
}

int qdisc_peek_now(struct qdisc *q)
{
	return q->ops->peek(q);
}

static int fifo_dump(struct qdisc *q)
{
	return q->limit;
}

static int fifo_peek(struct qdisc *q)
{
	return q->backlog;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'qdisc::backlog' races with qdisc_change(), which writes it with WRITE_ONCE(); no lock is visibly held in fifo_peek() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :25:13: note: qdisc_change() writes 'q->backlog' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(q->backlog);
}

static const struct qdisc_ops fifo_ops = {
	.dump = fifo_dump,
	.peek = fifo_peek,
};

const struct qdisc_ops *fifo_ops_get(void)
{
	return &fifo_ops;
}
