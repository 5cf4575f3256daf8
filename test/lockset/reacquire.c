// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (mm/swapfile.c scan_swap_map_slots() on 6.12): a function its
// callers call with the lock held drops it on one path, scans locklessly,
// and takes it back before the label every path reaches. At the label the
// callers' lock is held on every path, so the plain reads there race with
// no writer; after the last unlock they do.
#include <linux/lock.h>

struct pool {
	spinlock_t lock;
	unsigned long top;
	unsigned long next;
};

void pool_grow(struct pool *p)
{
	spin_lock(&p->lock);
	WRITE_ONCE(p->top, p->top + 1);
	spin_unlock(&p->lock);
}

static unsigned long pool_scan(struct pool *p, int slow)
{
	unsigned long v = 0;

	if (!slow)
		goto checks;
	spin_unlock(&p->lock);
	while (v <= READ_ONCE(p->top))
		v++;
	spin_lock(&p->lock);
checks:
	if (!p->top)
		return 0;
	p->next = v;
	spin_unlock(&p->lock);
	v = p->top;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'pool::top' races with pool_grow(), which writes it with WRITE_ONCE(){{.*}} [kmark-missing-read-once]
	// CHECK-FIXES: v = READ_ONCE(p->top);
	spin_lock(&p->lock);
	return v;
}

unsigned long pool_get(struct pool *p, int slow)
{
	unsigned long v;

	spin_lock(&p->lock);
	v = pool_scan(p, slow);
	spin_unlock(&p->lock);
	return v;
}
