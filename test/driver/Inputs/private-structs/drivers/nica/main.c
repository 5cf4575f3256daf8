#include <linux/lock.h>
#include <shared/regs.h>
#include "hw.h"

/* nica reads its registers' address locklessly: a surprise removal
 * clears it. */
unsigned char *nica_read(struct hw *hw)
{
	return READ_ONCE(hw->addr);
}

void nica_remove(struct hw *hw)
{
	WRITE_ONCE(hw->addr, NULL);
}

unsigned int nica_ctrl(struct regs *r)
{
	return READ_ONCE(r->ctrl);
}
