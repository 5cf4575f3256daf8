// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A helper that sees only the shared struct (sk_acceptq_is_full() in
// include/net/sock.h) reads with READ_ONCE() on whatever its callers pass:
// here only inet-like objects.  Its reads are of the inet kind, and say
// nothing about the atm store, whose readers hold the lock.
#include <linux/lock.h>

struct base {
	spinlock_t lock;
	unsigned int queued;
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

static inline int base_full(const struct base *b)
{
	return READ_ONCE(b->queued) > READ_ONCE(b->backlog_max);
}

int inet_accept(struct inet_like *in)
{
	return base_full(&in->b) ? -1 : 0;
}

void inet_listen(struct inet_like *in, unsigned int max)
{
	WRITE_ONCE(in->b.backlog_max, max);
}

void atm_listen(struct atm_like *a, unsigned int max)
{
	spin_lock(&a->b.lock);
	a->b.backlog_max = max;
	spin_unlock(&a->b.lock);
}

unsigned int atm_backlog(struct atm_like *a)
{
	unsigned int v;

	spin_lock(&a->b.lock);
	v = a->b.backlog_max;
	spin_unlock(&a->b.lock);
	return v;
}
