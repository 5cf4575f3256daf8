// RUN: %check_kmark %s kmark-missing-write-once %t -- %kernel_flags
// Lock-protected writes with lockless reads (access-marking.txt): a plain
// store under a lock, while a reader of the same file reads the field with
// READ_ONCE() and no lock, is reported at the default tier and says which
// lock the store holds.  A store with no lock, or a reader under some lock
// of its own, is weaker evidence and stays below the default.
// (Fifth triage of the development set: 30 of 32 such stores were real,
// nfs_inode::cache_validity under i_lock, pipe_inode_info::readers under
// pipe->mutex, list_lru_one::nr_items under the list's lock.)
#include <linux/lock.h>

struct chan {
	spinlock_t lock;
	struct mutex m;
	unsigned int state;
	unsigned int depth;
	unsigned int pending;
	unsigned int mode;
};

unsigned int chan_state(struct chan *c)
{
	return READ_ONCE(c->state);
}

void chan_close(struct chan *c)
{
	spin_lock(&c->lock);
	c->state = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'chan::state' races with lockless reader chan_state(), which holds no lock; this store holds 'chan::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :23:19: note: chan_state() reads 'c->state' with READ_ONCE() and no lock, while this store holds 'chan::lock'
	// CHECK-FIXES: WRITE_ONCE(c->state, 0);
	spin_unlock(&c->lock);
}

/* No lock visible at the store: its callers may hold the reader's lock. */
void chan_reset(struct chan *c)
{
	c->state = 1;
}

/* The only reader of depth holds a lock of its own. */
unsigned int chan_depth(struct chan *c)
{
	unsigned int d;

	mutex_lock(&c->m);
	d = READ_ONCE(c->depth);
	mutex_unlock(&c->m);
	return d;
}

void chan_push(struct chan *c)
{
	spin_lock(&c->lock);
	c->depth++;
	spin_unlock(&c->lock);
}

/* A lock taken in a retry loop and kept by the break out of it
   (nfs_clear_invalid_mapping()): the store after the loop holds it. */
unsigned int chan_pending(struct chan *c)
{
	return READ_ONCE(c->pending);
}

void chan_flush(struct chan *c, int busy)
{
	for (;;) {
		spin_lock(&c->lock);
		if (!busy)
			break;
		spin_unlock(&c->lock);
		continue;
	}
	c->pending = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'chan::pending' races with lockless reader chan_pending(), which holds no lock; this store holds 'chan::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :64:19: note: chan_pending() reads 'c->pending' with READ_ONCE() and no lock, while this store holds 'chan::lock'
	// CHECK-FIXES: WRITE_ONCE(c->pending, 0);
	spin_unlock(&c->lock);
}

/* Not static, and every caller the index sees holds the lock: the store
   holds it too (nfs_update_inode(), called under i_lock from other files). */
unsigned int chan_mode(struct chan *c)
{
	return READ_ONCE(c->mode);
}

void chan_set_mode(struct chan *c, unsigned int m)
{
	c->mode = m;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'chan::mode' races with lockless reader chan_mode(), which holds no lock; this store holds 'chan::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :87:19: note: chan_mode() reads 'c->mode' with READ_ONCE() and no lock, while this store holds 'chan::lock'
	// CHECK-FIXES: WRITE_ONCE(c->mode, m);
}

void chan_ioctl(struct chan *c, unsigned int m)
{
	spin_lock(&c->lock);
	chan_set_mode(c, m);
	spin_unlock(&c->lock);
}
