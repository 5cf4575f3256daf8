// SPDX-License-Identifier: GPL-2.0
#include <linux/bitops.h>

struct chan_flags {
	unsigned long bits;
};

void chan_flag_raise(struct chan_flags *f)
{
	set_bit(3, &f->bits);
}

void chan_flag_reset(struct chan_flags *f)
{
	f->bits &= ~8UL;
}
