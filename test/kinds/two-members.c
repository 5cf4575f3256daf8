// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Two members of one struct type in a struct are two objects: the live
// table is read locklessly, the table being rebuilt beside it is not, so
// the rebuild's stores need no WRITE_ONCE().  A store to the live table
// does, and so does one through a pointer to the live member itself or
// through a macro that names the live member another way.  A union's
// arms are one object, and so may be two pointer members' elements.
#include <linux/lock.h>

struct table {
	unsigned int nr;
	unsigned int size;
};

struct stats {
	unsigned int hits;
};

struct slot {
	unsigned int owner;
};

struct fs_info {
	spinlock_t lock;
	struct table live;
	struct table gc;
	union {
		struct stats cur;
		struct stats old;
	};
	struct slot *slots;
	struct slot *busy; /* points into slots */
};

#define fs_live_nr live.nr

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
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'table::nr' races with lockless reader table_entries() (confidence: low, 15) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(t->nr, 0);
}

void table_set_alias(struct fs_info *c, unsigned int nr)
{
	spin_lock(&c->lock);
	c->fs_live_nr = nr;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'table::nr' races with lockless reader table_entries(), which holds no lock; this store holds 'fs_info::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->fs_live_nr, nr);
	spin_unlock(&c->lock);
}

unsigned int stats_cur_hits(struct fs_info *c)
{
	return READ_ONCE(c->cur.hits);
}

void stats_old_reset(struct fs_info *c)
{
	spin_lock(&c->lock);
	c->old.hits = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'stats::hits' races with lockless reader stats_cur_hits(), which holds no lock; this store holds 'fs_info::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->old.hits, 0);
	spin_unlock(&c->lock);
}

/* Two pointer members may point into one array: their elements are not
 * told apart. */
unsigned int slot_busy_owner(struct fs_info *c)
{
	return READ_ONCE(c->busy[0].owner);
}

void slot_reset(struct fs_info *c, int i)
{
	spin_lock(&c->lock);
	c->slots[i].owner = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::owner' races with lockless reader slot_busy_owner(), which holds no lock; this store holds 'fs_info::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->slots[i].owner, 0);
	spin_unlock(&c->lock);
}
