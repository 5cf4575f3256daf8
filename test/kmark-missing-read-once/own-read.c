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

// A race needs a writer.  A descriptor that only the device writes (no
// store in the index: the low tier only, as own-read-writers.c shows)
// and one whose only store sets up a new object (no store can meet the
// plain read: not reported at all).  Neither is at the default tier.
struct rx_desc {
	unsigned int status;
	unsigned int len;
};

unsigned int desc_poll(struct rx_desc *d)
{
	unsigned int s = READ_ONCE(d->status);

	return s ? d->status : 0;
}

struct rx_desc *desc_new(void)
{
	struct rx_desc *d = kzalloc(sizeof(*d), 0);

	if (d)
		d->len = 0;
	return d;
}

unsigned int desc_len(struct rx_desc *d)
{
	unsigned int l = READ_ONCE(d->len);

	return l + d->len;
}

// A store spelled in a setter macro is a writer like any other: it races
// with the plain re-read, which is reported.
struct slot {
	int owner;
};

#define slot_claim(s, o) ((s)->owner = (o))

void slot_take(struct slot *s, int o)
{
	slot_claim(s, o);
}

int slot_owner(struct slot *s)
{
	if (!READ_ONCE(s->owner))
		return 0;
	return s->owner;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'slot::owner', which slot_owner() reads with READ_ONCE() elsewhere (confidence: medium, 60) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(s->owner);
}
