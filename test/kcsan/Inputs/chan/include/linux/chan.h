/* A channel, written for kmark's KCSAN tests: a lock, two counters of one
 * size, bitfields, a stamp that is marked everywhere. */
#ifndef CHAN_H
#define CHAN_H
#include <linux/compiler.h>
#include <linux/lock.h>

struct chan {
	spinlock_t lock;
	int state;
	int count;
	unsigned int ready : 1, busy : 1;
	long stamp;
};

/* An accessor every reader of the state goes through. */
static inline int chan_state(struct chan *c)
{
	return c->state;
}

void chan_set(struct chan *c, int s);
int chan_poll(struct chan *c);
#endif
