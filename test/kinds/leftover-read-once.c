// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A READ_ONCE() left under the writers' lock is no lockless reader: it
// says nothing against a store whose lock kmark cannot see (a slot's
// function, whose callers the index does not show), even where another
// store holds another lock.  A reader under another lock than the
// store's still races with it.
#include <linux/lock.h>

struct dev {
	spinlock_t lock;
	spinlock_t stats_lock;
	unsigned int mtu;
	unsigned int rx;
};

struct dev_ops {
	void (*set_mtu)(struct dev *d, unsigned int mtu);
};

unsigned int dev_mtu(struct dev *d)
{
	unsigned int m;

	spin_lock(&d->lock);
	m = READ_ONCE(d->mtu);
	spin_unlock(&d->lock);
	return m;
}

void dev_change_mtu(struct dev *d, unsigned int mtu)
{
	spin_lock(&d->lock);
	d->mtu = mtu;
	spin_unlock(&d->lock);
}

void dev_reset_mtu(struct dev *d)
{
	rtnl_lock();
	d->mtu = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'dev::mtu' races with reader dev_mtu() (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :25:16: note: dev_mtu() reads 'd->mtu' with READ_ONCE() under 'dev::lock', which does not exclude this store
	// CHECK-FIXES: WRITE_ONCE(d->mtu, 0);
	rtnl_unlock();
}

static void fast_set_mtu(struct dev *d, unsigned int mtu)
{
	d->mtu = mtu;
}

const struct dev_ops fast_ops = { .set_mtu = fast_set_mtu };

unsigned int dev_rx(struct dev *d)
{
	unsigned int r;

	spin_lock(&d->stats_lock);
	r = READ_ONCE(d->rx);
	spin_unlock(&d->stats_lock);
	return r;
}

void dev_count_rx(struct dev *d)
{
	spin_lock(&d->lock);
	d->rx++;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'dev::rx' races with reader dev_rx() (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :59:16: note: dev_rx() reads 'd->rx' with READ_ONCE() under 'dev::stats_lock', which does not exclude this store
	// CHECK-FIXES: WRITE_ONCE(d->rx, d->rx + 1);
	spin_unlock(&d->lock);
}
