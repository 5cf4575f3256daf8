#include <linux/compiler.h>
#include "chan_helpers.h"

static void store_value(unsigned int *p, unsigned int v)
{
	WRITE_ONCE(*p, v);
}

void set_value(unsigned int *p, unsigned int v)
{
	store_value(p, v);
}
