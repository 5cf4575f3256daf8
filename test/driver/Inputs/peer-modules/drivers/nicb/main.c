#include <linux/compiler.h>
#include <shared/port.h>

/* Module nicb, a peer of nica. */
void nicb_set_mode(struct port *p, int mode)
{
	WRITE_ONCE(p->mode, mode);
}
