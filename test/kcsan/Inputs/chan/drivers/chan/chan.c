// SPDX-License-Identifier: GPL-2.0
#include <linux/chan.h>

void chan_set(struct chan *c, int s)
{
	spin_lock(&c->lock);
	c->state = s;
	c->count++;
	spin_unlock(&c->lock);
}

int chan_poll(struct chan *c)
{
	return chan_state(c) | c->count;
}

void chan_reset(struct chan *c)
{
	c->state = 0;
	c->count = 0;
}

int chan_sum(struct chan *c)
{
	return c->state + c->count;
}

void chan_mark_ready(struct chan *c)
{
	c->ready = 1;
}

int chan_is_busy(struct chan *c)
{
	return c->busy;
}

void chan_stamp(struct chan *c, long t)
{
	WRITE_ONCE(c->stamp, t);
}

long chan_read_stamp(struct chan *c)
{
	return READ_ONCE(c->stamp);
}
