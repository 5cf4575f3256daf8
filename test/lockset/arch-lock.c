// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (kernel/bpf/helpers.c on 6.12): a lock of its own type taken
// through the architecture's spinlock (queued_spin_lock() on x86, the
// model's primitive) on a pointer cast from the caller's.  The wrapper is
// derived from its body; the re-read after the lockless check holds the
// lock every store holds, so it is the writers' side and needs no marking.
#include <linux/lock.h>

struct qspinlock {
	int val;
};
void queued_spin_lock(struct qspinlock *lock);
void queued_spin_unlock(struct qspinlock *lock);

struct my_spin_lock {
	unsigned int val;
};

static inline void my_lock(struct my_spin_lock *lock)
{
	struct qspinlock *l = (void *)lock;

	queued_spin_lock(l);
}

static inline void my_unlock(struct my_spin_lock *lock)
{
	struct qspinlock *l = (void *)lock;

	queued_spin_unlock(l);
}

struct async_kern {
	void *cb;
	struct my_spin_lock lock;
};

void async_init(struct async_kern *a, void *cb)
{
	my_lock(&a->lock);
	WRITE_ONCE(a->cb, cb);
	my_unlock(&a->lock);
}

void *async_cancel(struct async_kern *a)
{
	void *cb;

	if (!READ_ONCE(a->cb))
		return 0;
	my_lock(&a->lock);
	cb = a->cb;
	if (cb)
		WRITE_ONCE(a->cb, 0);
	my_unlock(&a->lock);
	return cb;
}
