#include <linux/compiler.h>
#include <shared/port.h>

/* Module nicc uses nicb: their ports may be the same. */
int nicc_mode(struct port *p)
{
	nicb_set_mode(p, 1);
	return p->mode;
}
