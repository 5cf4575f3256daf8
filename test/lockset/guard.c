// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// guard() and scoped_guard() take a lock in a variable's initialiser and
// drop it in the variable's cleanup function: the lock is held until the
// end of the variable's scope, and not after.  The guard classes are
// derived from their constructors' bodies, as in include/linux/cleanup.h.
#include <linux/lock.h>

struct pool {
	spinlock_t lock;
	struct mutex m;
	unsigned int free;
	unsigned int used;
	unsigned int gen;
};

void pool_update(struct pool *p, unsigned int v)
{
	spin_lock(&p->lock);
	WRITE_ONCE(p->free, v);
	WRITE_ONCE(p->gen, v);
	spin_unlock(&p->lock);
	mutex_lock(&p->m);
	WRITE_ONCE(p->used, v);
	mutex_unlock(&p->m);
}

unsigned int pool_free(struct pool *p)
{
	guard(spinlock)(&p->lock);
	return p->free;
}

unsigned int pool_used(struct pool *p)
{
	unsigned int u = 0;

	scoped_guard(mutex, &p->m) {
		u = p->used;
	}
	return u + p->used;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'pool::used' races with pool_update(), which writes it with WRITE_ONCE(); no lock is visibly held in pool_used() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :23:13: note: pool_update() writes 'p->used' with WRITE_ONCE()
	// CHECK-FIXES: return u + READ_ONCE(p->used);
}

unsigned int pool_gen(struct pool *p)
{
	unsigned int g;

	{
		guard(spinlock)(&p->lock);
		g = p->gen;
	}
	return g + p->gen;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'pool::gen' races with pool_update(), which writes it with WRITE_ONCE(); no lock is visibly held in pool_gen() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :20:13: note: pool_update() writes 'p->gen' with WRITE_ONCE()
	// CHECK-FIXES: return g + READ_ONCE(p->gen);
}
