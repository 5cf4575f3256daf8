#include "track.h"

static struct xarray tracked;

/* Publishes its parameter: xa_insert()'s argument 2 is the entry. */
static int track_store(struct track_entry *e)
{
	return xa_insert(&tracked, e->id, e, 0);
}

/* Publishes it through track_store(), on one branch: it may publish. */
void track_add(struct track_entry *e)
{
	if (e->id)
		track_store(e);
}

/* Does not publish: the name is only looked at. */
void track_name(struct track_entry *e, const char *name)
{
	if (name)
		e->id = 0;
}
