#include <linux/compiler.h>
#include <shared/port.h>

/*
 * Modules nice and nicf are two drivers of libport's: it calls each through
 * its own port_driver, and a port is one driver's (raid10 and raid456 under
 * md-mod's md_personality).
 */
static void nice_setup(struct port *p)
{
	WRITE_ONCE(p->level, 1);
}

static int nice_level(struct port *p)
{
	return READ_ONCE(p->level);
}

const struct port_driver nice_driver = {
	.setup = nice_setup,
	.level = nice_level,
};

int nice_attach(struct port *p)
{
	return libport_attach(p);
}
