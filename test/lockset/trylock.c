// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A trylock holds its lock only on the branch its result says succeeded:
// nonzero for spin_trylock() and mutex_trylock(), zero for
// mutex_lock_interruptible(), whether the call is the condition itself or
// its result is kept in a variable first.
#include <linux/lock.h>

struct res {
	spinlock_t lock;
	struct mutex m;
	unsigned int a;
	unsigned int b;
	unsigned int c;
	unsigned int d;
};

void res_update(struct res *r, unsigned int v)
{
	spin_lock(&r->lock);
	WRITE_ONCE(r->a, v);
	WRITE_ONCE(r->b, v);
	spin_unlock(&r->lock);
	mutex_lock(&r->m);
	WRITE_ONCE(r->c, v);
	WRITE_ONCE(r->d, v);
	mutex_unlock(&r->m);
}

unsigned int res_try(struct res *r)
{
	unsigned int v;

	if (!spin_trylock(&r->lock)) {
		v = r->b;
		// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain load of 'res::b' races with res_update(), which writes it with WRITE_ONCE(); no lock is visibly held in res_try() (confidence: low, 35) [kmark-missing-read-once]
		// CHECK-MESSAGES: :21:13: note: res_update() writes 'r->b' with WRITE_ONCE()
		// CHECK-FIXES: v = READ_ONCE(r->b);
	} else {
		v = r->a;
		spin_unlock(&r->lock);
	}
	return v;
}

void cpu_relax(void);

unsigned int res_spin(struct res *r)
{
	unsigned int v;

	while (!spin_trylock(&r->lock))
		cpu_relax();
	v = r->a;
	spin_unlock(&r->lock);
	return v;
}

int res_try_or_bail(struct res *r)
{
	int v;

	if (!mutex_trylock(&r->m))
		return -1;
	v = r->c;
	mutex_unlock(&r->m);
	return v;
}

int res_interruptible(struct res *r)
{
	int v;
	int err = mutex_lock_interruptible(&r->m);

	if (err)
		return r->d;
		// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain load of 'res::d' races with res_update(), which writes it with WRITE_ONCE(); no lock is visibly held in res_interruptible() (confidence: low, 35) [kmark-missing-read-once]
		// CHECK-MESSAGES: :25:13: note: res_update() writes 'r->d' with WRITE_ONCE()
		// CHECK-FIXES: return READ_ONCE(r->d);
	v = r->d;
	mutex_unlock(&r->m);
	return v;
}
