#include <linux/compiler.h>
#include <shared/port.h>

/* Module libport hands its ports to the modules built over it. */
int libport_attach(struct port *p)
{
	return READ_ONCE(p->mode);
}

/* It hands each port to one of its drivers, through their port_driver. */
void libport_probe(struct port *p, const struct port_driver *d)
{
	if (READ_ONCE(p->level))
		d->setup(p);
}
