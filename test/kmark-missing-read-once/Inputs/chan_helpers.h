/* Helpers that mark an access through their pointer parameter. */
#ifndef CHAN_HELPERS_H
#define CHAN_HELPERS_H

struct chan {
	unsigned int limit;
	unsigned int seq;
	unsigned int depth;
};

/* Defined in another file: stores through the pointer with WRITE_ONCE(). */
void set_value(unsigned int *p, unsigned int v);

/* An accessor: a marked read of the field at every call. */
static inline unsigned int chan_depth(const struct chan *c)
{
	return READ_ONCE(c->depth);
}

#endif
