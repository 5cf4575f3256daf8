// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Two kinds of object share one struct.  The inet-like family reads
// backlog_max with READ_ONCE() and no lock; the atm-like family's readers
// all hold the lock, as its writer does.  The inet family's lockless reader
// says nothing about atm objects: the atm store needs no WRITE_ONCE().
#include <linux/lock.h>

struct base {
	spinlock_t lock;
	unsigned int backlog_max;
};

struct inet_like {
	struct base b;
	unsigned int port;
};

struct atm_like {
	struct base b;
	unsigned int vci;
};

#define inet_of(p) container_of(p, struct inet_like, b)
#define atm_of(p) container_of(p, struct atm_like, b)

int inet_accept_full(struct base *b, unsigned int queued)
{
	struct inet_like *in = inet_of(b);

	return in->port && queued > READ_ONCE(b->backlog_max);
}

void inet_listen(struct base *b, unsigned int max)
{
	struct inet_like *in = inet_of(b);

	if (in->port)
		WRITE_ONCE(b->backlog_max, max);
}

void atm_listen(struct base *b, unsigned int max)
{
	struct atm_like *a = atm_of(b);

	spin_lock(&b->lock);
	if (a->vci)
		b->backlog_max = max;
	spin_unlock(&b->lock);
}

unsigned int atm_backlog(struct base *b)
{
	struct atm_like *a = atm_of(b);
	unsigned int v = 0;

	spin_lock(&b->lock);
	if (a->vci)
		v = b->backlog_max;
	spin_unlock(&b->lock);
	return v;
}
