#include <linux/compiler.h>
#include <shared/port.h>

static void nicf_setup(struct port *p)
{
}

static int nicf_level(struct port *p)
{
	return p->level;
}

const struct port_driver nicf_driver = {
	.setup = nicf_setup,
	.level = nicf_level,
};

int nicf_attach(struct port *p)
{
	return libport_attach(p);
}
