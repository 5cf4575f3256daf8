// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (kernel/exit.c on 6.12: wait_consider_task() under
// __do_wait()'s read_lock(&tasklist_lock)): a callee that drops its
// callers' lock on one path only, and says so by its return value, leaves
// the lock held on the caller's path that goes on. The marked reader holds
// the writers' lock (for reading) through its callers, so it is no
// evidence that the plain stores under the write lock race.
#include <linux/lock.h>

struct rw_semaphore table_lock;

struct entry {
	int state;
	struct entry *next;
};

static int reap(struct entry *e)
{
	up_read(&table_lock);
	e->next = 0;
	return 1;
}

static int consider(struct entry *e)
{
	int s = READ_ONCE(e->state);

	if (s == 2)
		return reap(e);
	return 0;
}

static int scan(struct entry *e)
{
	for (; e; e = e->next) {
		int ret = consider(e);

		if (ret)
			return ret;
	}
	return 0;
}

int wait_entries(struct entry *e)
{
	int ret;

	down_read(&table_lock);
	ret = scan(e);
	if (ret)
		return ret;
	up_read(&table_lock);
	return 0;
}

void retire(struct entry *e)
{
	down_write(&table_lock);
	e->state = 2;
	up_write(&table_lock);
}

/*
 * The same, declared __releases() as do_signal_stop() is: the annotation
 * speaks of the path that returns true; the body keeps the lock on the
 * other, and the loop of its caller goes on holding it.
 */
struct sigq {
	spinlock_t lock;
	unsigned long flags;
};

static int try_stop(struct sigq *q) __releases(&q->lock)
{
	if (!(q->flags & 1))
		return 0;
	spin_unlock(&q->lock);
	return 1;
}

int next_event(struct sigq *q)
{
relock:
	spin_lock(&q->lock);
	for (;;) {
		if (try_stop(q))
			goto relock;
		if (q->flags & 2)
			break;
	}
	spin_unlock(&q->lock);
	return 0;
}

void sigq_mark(struct sigq *q)
{
	spin_lock(&q->lock);
	WRITE_ONCE(q->flags, q->flags | 2);
	spin_unlock(&q->lock);
}

unsigned long sigq_peek(struct sigq *q)
{
	return READ_ONCE(q->flags);
}
