// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Two members of one struct type in a struct are two objects: the live
// table is read locklessly, the table being rebuilt beside it is not, so
// the rebuild's stores need no WRITE_ONCE().  A store to the live table
// does, and so does one through a pointer to the live member itself.
#include <linux/lock.h>

struct table {
	unsigned int nr;
	unsigned int size;
};

struct fs_info {
	spinlock_t lock;
	struct table live;
	struct table gc;
};

unsigned int table_entries(struct fs_info *c)
{
	return READ_ONCE(c->live.nr);
}

void table_gc_reset(struct fs_info *c)
{
	spin_lock(&c->lock);
	c->gc.nr = 0;
	c->gc.size = 0;
	spin_unlock(&c->lock);
}

void table_set(struct fs_info *c, unsigned int nr)
{
	spin_lock(&c->lock);
	c->live.nr = nr;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'table::nr' races with lockless reader table_entries(), which holds no lock; this store holds 'fs_info::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->live.nr, nr);
	spin_unlock(&c->lock);
}

void table_clear(struct table *t)
{
	t->nr = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'table::nr' races with lockless reader table_entries() (confidence: low, 25) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(t->nr, 0);
}
