#include <shared/port.h>

/* Module libport hands its ports to the modules built over it. */
void libport_attach(struct port *p)
{
}
