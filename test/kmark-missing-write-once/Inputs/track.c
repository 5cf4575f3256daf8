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

static struct list_head recent;

/* Moves an entry that is on a list already: it links, but it is no
 * publication (the model's republish). */
void list_move(struct list_head *entry, struct list_head *head)
{
	list_del(entry);
	list_add(entry, head);
}

/* Publishes nothing either: list_move() is not a publisher. */
void track_touch(struct track_entry *e)
{
	list_move(&e->lru, &recent);
}

static struct list_head pending;

/* Queues a live entry, as queue_work() does a work item: a list is no
 * registry, so the wrapper is no publisher. */
void track_queue(struct track_entry *e)
{
	list_add(&e->lru, &pending);
}

void track_retry(struct track_entry *e, int n);

/* A cycle of calls, one of which publishes: the cycle publishes. */
static void track_again(struct track_entry *e, int n)
{
	if (n)
		track_retry(e, n - 1);
	else
		track_store(e);
}

void track_retry(struct track_entry *e, int n)
{
	track_again(e, n);
}

void track_loop(struct track_entry *e, int n);

/* A cycle of calls none of which publishes. */
static void track_spin(struct track_entry *e, int n)
{
	if (n)
		track_loop(e, n - 1);
}

void track_loop(struct track_entry *e, int n)
{
	track_spin(e, n);
}
