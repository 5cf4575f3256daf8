#include <linux/compiler.h>
#include "../seqfile.h"

/* This directory's files publish a trigger in ->private, locklessly. */
void trigger_set(struct seqf *s, void *t)
{
	smp_store_release(&s->private, t);
}

void *trigger_get(struct seqf *s)
{
	return smp_load_acquire(&s->private);
}
