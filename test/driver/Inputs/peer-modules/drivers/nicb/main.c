#include <linux/compiler.h>
#include <shared/port.h>

/* Module nicb, a peer of nica, built over libport. */
void nicb_set_mode(struct port *p, int mode)
{
	libhelp_log(p);
	libport_attach(p);
	WRITE_ONCE(p->mode, mode);
}

int nicb_state(struct port *p)
{
	return READ_ONCE(p->state);
}
