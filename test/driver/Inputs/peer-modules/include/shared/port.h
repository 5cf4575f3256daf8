/* A port that every driver and the core work on. */
struct port {
	int mode;
	int speed;
	int state; /* written by a framework kmark does not index */
};

void nicb_set_mode(struct port *p, int mode);
void core_set_speed(struct port *p, int speed);
int libport_attach(struct port *p);
void libhelp_log(struct port *p);

/* An inline wrapper of nicb's: a module that calls it calls nicb. */
static inline void port_reset(struct port *p)
{
	nicb_set_mode(p, 0);
}
