// RUN: %check_kmark %s kmark-missing-read-once %t -- %kernel_flags
// A field whose one marked access is a READ_ONCE() in the very function
// that also reads it plainly (6.1's deactivate_slab() and slab->freelist,
// marked upstream by 6.12): the function disagrees with itself, and a
// plain store elsewhere can run meanwhile.  Reported at the default tier;
// a plain read of another object in that function is not.
#include <linux/lock.h>

struct pool {
	void *free;
	unsigned long hits;
};

void pool_put(struct pool *p, void *o)
{
	p->free = o;
}

void *pool_take(struct pool *p, struct pool *spare)
{
	void *f = READ_ONCE(p->free);

	if (!f)
		return spare->free;
	if (p->free != f)
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'pool::free', which pool_take() reads with READ_ONCE() elsewhere (confidence: medium, 58) [kmark-missing-read-once]
	// CHECK-MESSAGES: :21:22: note: pool_take() reads it with READ_ONCE() here
	// CHECK-FIXES: if (READ_ONCE(p->free) != f)
		return 0;
	return f;
}
