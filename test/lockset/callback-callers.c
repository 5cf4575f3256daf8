// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A callback passed to a function that calls it through its parameter, and
// does nothing else with it, runs at each call that passes it: under the
// locks held there, and those the function holds around its own call.  A
// callback the function also stores, or passes on, may run anywhere later:
// its callers stay unknown.
#include <linux/lock.h>

struct gadget {
	struct mutex lock;
	int state;
	int mode;
	int speed;
	int power;
	int level;
};

struct bus {
	struct mutex lock;
	struct gadget *g[4];
};

/* Every writer holds the gadget's lock. */
void gadget_set(struct gadget *g, int v)
{
	mutex_lock(&g->lock);
	WRITE_ONCE(g->state, v);
	WRITE_ONCE(g->mode, v);
	WRITE_ONCE(g->speed, v);
	WRITE_ONCE(g->power, v);
	WRITE_ONCE(g->level, v);
	mutex_unlock(&g->lock);
}

/* Calls fn in place and keeps nothing. */
static int for_each_gadget(struct bus *b, void *data,
			   int (*fn)(struct gadget *, void *))
{
	int i, r = 0;

	for (i = 0; i < 4 && !r; i++)
		r = fn(b->g[i], data);
	return r;
}

/* Calls fn under a lock of its own, through *fn. */
static int for_each_gadget_locked(struct gadget *g,
				  int (*fn)(struct gadget *, void *))
{
	int r;

	mutex_lock(&g->lock);
	r = (*fn)(g, 0);
	mutex_unlock(&g->lock);
	return r;
}

/* Calls fn now and also keeps it for later. */
static int (*saved_fn)(struct gadget *, void *);
static int call_and_keep(struct gadget *g, int (*fn)(struct gadget *, void *))
{
	saved_fn = fn;
	return fn(g, 0);
}

static int attach_one(struct gadget *g, void *data)
{
	return g->state;
}

int attach_all(struct bus *b, struct gadget *g)
{
	int r;

	mutex_lock(&g->lock);
	r = for_each_gadget(b, 0, attach_one);
	mutex_unlock(&g->lock);
	return r;
}

static int scan_one(struct gadget *g, void *data)
{
	return g->mode;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::mode' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in scan_one() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :28:13: note: gadget_set() writes 'g->mode' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->mode);
}

int scan_locked(struct bus *b, struct gadget *g)
{
	int r;

	mutex_lock(&g->lock);
	r = for_each_gadget(b, 0, scan_one);
	mutex_unlock(&g->lock);
	return r;
}

int scan_unlocked(struct bus *b)
{
	return for_each_gadget(b, 0, scan_one);
}

static int speed_one(struct gadget *g, void *data)
{
	return g->speed;
}

int speed_now(struct gadget *g)
{
	return for_each_gadget_locked(g, speed_one);
}

static int power_one(struct gadget *g, void *data)
{
	return g->power;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::power' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in power_one() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :30:13: note: gadget_set() writes 'g->power' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->power);
}

int power_now(struct gadget *g)
{
	int r;

	mutex_lock(&g->lock);
	r = call_and_keep(g, power_one);
	mutex_unlock(&g->lock);
	return r;
}

/* The lock taken inside the callback's caller, released before the call. */
static int level_one(struct gadget *g, void *data)
{
	return g->level;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'gadget::level' races with gadget_set(), which writes it with WRITE_ONCE(); no lock is visibly held in level_one() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :31:13: note: gadget_set() writes 'g->level' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(g->level);
}

static int for_each_gadget_unlocking(struct gadget *g,
				     int (*fn)(struct gadget *, void *))
{
	mutex_unlock(&g->lock);
	return fn(g, 0);
}

int level_now(struct gadget *g)
{
	int r;

	mutex_lock(&g->lock);
	r = for_each_gadget_unlocking(g, level_one);
	return r;
}
