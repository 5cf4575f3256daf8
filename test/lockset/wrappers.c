// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// What a call does to locks is derived from the callee: from its body when
// the TU has it (a wrapper in the same file, inode_lock() in a header, a
// wrapper that takes the lock by pointer), from its __acquires() and
// __releases() annotations when it is declared only.
#include <linux/fs.h>

struct chan {
	spinlock_t lock;
	unsigned int state;
	unsigned int mode;
	unsigned int gen;
};

void chan_set(struct chan *c, unsigned int v)
{
	spin_lock(&c->lock);
	WRITE_ONCE(c->state, v);
	WRITE_ONCE(c->mode, v);
	WRITE_ONCE(c->gen, v);
	spin_unlock(&c->lock);
}

static void chan_lock(struct chan *c)
{
	spin_lock(&c->lock);
}

static void chan_unlock(struct chan *c)
{
	spin_unlock(&c->lock);
}

unsigned int chan_state(struct chan *c)
{
	unsigned int s;

	chan_lock(c);
	s = c->state;
	chan_unlock(c);
	return s + c->state;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'chan::state' races with chan_set(), which writes it with WRITE_ONCE(); no lock is visibly held in chan_state() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :18:13: note: chan_set() writes 'c->state' with WRITE_ONCE()
	// CHECK-FIXES: return s + READ_ONCE(c->state);
}

void chan_lock_bh(struct chan *c) __acquires(&c->lock);
void chan_unlock_bh(struct chan *c) __releases(&c->lock);

unsigned int chan_mode(struct chan *c)
{
	unsigned int m;

	chan_lock_bh(c);
	m = c->mode;
	chan_unlock_bh(c);
	return m;
}

static void lock_it(spinlock_t *l)
{
	spin_lock(l);
}

unsigned int chan_gen(struct chan *c)
{
	unsigned int g;

	lock_it(&c->lock);
	g = c->gen;
	spin_unlock(&c->lock);
	return g;
}

void inode_set_generation(struct inode *inode, unsigned int g)
{
	inode_lock(inode);
	WRITE_ONCE(inode->i_generation, g);
	inode_unlock(inode);
}

unsigned int inode_generation(struct inode *inode)
{
	unsigned int g;

	inode_lock_shared(inode);
	g = inode->i_generation;
	inode_unlock_shared(inode);
	return g;
}

unsigned int inode_generation_peek(struct inode *inode)
{
	return inode->i_generation;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'inode::i_generation' races with inode_set_generation(), which writes it with WRITE_ONCE(); no lock is visibly held in inode_generation_peek() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :78:13: note: inode_set_generation() writes 'inode->i_generation' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(inode->i_generation);
}
