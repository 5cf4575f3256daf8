#include <linux/compiler.h>
#include <shared/port.h>

/* Module nica: it neither calls nicb nor is called by it. */
int nica_mode(struct port *p)
{
	libhelp_log(p);
	return p->mode;
}

int nica_speed(struct port *p)
{
	return p->speed;
}

int nica_state(struct port *p)
{
	return p->state;
}
