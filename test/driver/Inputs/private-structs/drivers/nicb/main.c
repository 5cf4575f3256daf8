#include <linux/lock.h>
#include <shared/regs.h>
#include "hw.h"

/* nicb never marks its own struct hw: nica's marking says nothing of it. */
void nicb_unmap(struct hw *hw)
{
	hw->addr = NULL;
}

unsigned char *nicb_addr(struct hw *hw)
{
	return hw->addr;
}

/* struct regs is one type everywhere: nica's lockless reader counts. */
void nicb_ctrl(struct regs *r)
{
	r->ctrl = 1;
}
