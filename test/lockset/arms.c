// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Which locks are held is a question for each path: an unlock in one arm of
// an if or a switch does not drop the lock for the other arm, and a lock
// taken on one path only is not held where the paths meet.  Every writer
// holds chan::lock, so a read that holds it too races with none.
#include <linux/lock.h>

struct chan {
	spinlock_t lock;
	unsigned int state;
	unsigned int mode;
	unsigned int depth;
};

void chan_update(struct chan *c, unsigned int v)
{
	spin_lock(&c->lock);
	WRITE_ONCE(c->state, v);
	WRITE_ONCE(c->mode, v);
	WRITE_ONCE(c->depth, v);
	spin_unlock(&c->lock);
}

void chan_wait(struct chan *c);

unsigned int chan_arms(struct chan *c, int busy)
{
	unsigned int s = 0;

	spin_lock(&c->lock);
	if (busy) {
		spin_unlock(&c->lock);
		chan_wait(c);
	} else {
		s = c->state;
		spin_unlock(&c->lock);
	}
	return s;
}

unsigned int chan_switch(struct chan *c, int how)
{
	unsigned int m = 0;

	spin_lock(&c->lock);
	switch (how) {
	case 0:
		spin_unlock(&c->lock);
		chan_wait(c);
		break;
	default:
		m = c->mode;
		spin_unlock(&c->lock);
		break;
	}
	return m;
}

unsigned int chan_maybe(struct chan *c, int need)
{
	unsigned int d;

	if (need)
		spin_lock(&c->lock);
	d = c->depth;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'chan::depth' races with chan_update(), which writes it with WRITE_ONCE(); no lock is visibly held in chan_maybe() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :20:13: note: chan_update() writes 'c->depth' with WRITE_ONCE()
	// CHECK-FIXES: d = READ_ONCE(c->depth);
	if (need)
		spin_unlock(&c->lock);
	return d;
}
