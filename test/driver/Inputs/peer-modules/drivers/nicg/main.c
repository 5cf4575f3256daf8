#include <linux/compiler.h>
#include <shared/port.h>

/* Module nicg reaches nicb through a header's inline wrapper. */
int nicg_mode(struct port *p)
{
	port_reset(p);
	return p->mode;
}
