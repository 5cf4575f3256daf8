// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (raid5's setup_conf(), held-out triage): a setup function
// allocates an object and, in it, a table of sub-objects
// (`conf->disks = kcalloc(...)`), then fills the table in before anything
// publishes the object.  The table's entries are as new as the object.
#include <linux/lock.h>

void *kcalloc(unsigned long n, unsigned long size, int flags);

struct slot {
	void *dev;
	int state;
};

struct conf {
	struct slot *slots;
	struct slot *spare;
	int nr;
};

/* The lockless reader every store below would race with. */
void *slot_peek(struct slot *s)
{
	return READ_ONCE(s->dev);
}

static void slot_reset(struct slot *s)
{
	s->dev = NULL;
}

struct conf *conf_setup(int nr, void **devs)
{
	struct conf *conf = kzalloc(sizeof(*conf), GFP_KERNEL);
	struct slot *s;
	int i;

	if (!conf)
		return NULL;
	conf->slots = kcalloc(nr, sizeof(struct slot), GFP_KERNEL);
	for (i = 0; i < nr; i++) {
		s = conf->slots + i;
		s->dev = devs[i];
		conf->slots[i].state = 1;
		s = &conf->slots[i];
		s->dev = devs[i];
	}
	slot_reset(&conf->slots[0]);
	return conf;
}

/* The member leads to a shared object: the stores race. */
void conf_adopt(struct conf *conf, struct slot *shared, void *dev)
{
	struct conf *fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	struct slot *s;

	fresh->spare = shared;
	fresh->spare->dev = dev;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::dev' races with lockless reader slot_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(fresh->spare->dev, dev);

	/* A new table in an object others already see is published with it. */
	conf->spare = kzalloc(sizeof(struct slot), GFP_KERNEL);
	conf->spare->dev = dev;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::dev' races with lockless reader slot_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(conf->spare->dev, dev);

	/* Set fresh, then pointed elsewhere. */
	fresh->spare = kzalloc(sizeof(struct slot), GFP_KERNEL);
	fresh->spare = shared;
	s = fresh->spare;
	s->dev = dev;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::dev' races with lockless reader slot_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->dev, dev);

	/* The local now holds another object: its old members say nothing. */
	fresh->spare = kzalloc(sizeof(struct slot), GFP_KERNEL);
	fresh = conf;
	fresh->spare->dev = dev;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::dev' races with lockless reader slot_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(fresh->spare->dev, dev);
}

/* An accessor returns an address inside the object it is given; a
 * function that loads a pointer from it returns another object
 * (bio_list_pop(&on_stack) returns a bio others may see). */
struct holder {
	struct slot s;
	struct slot *first;
};

static inline struct slot *holder_slot(struct holder *h)
{
	return &h->s;
}

static inline struct slot *holder_first(struct holder *h)
{
	return h->first;
}

/* A tagged pointer's tag masked off (lib/assoc_array.c's
 * assoc_array_ptr_to_node()), through another accessor. */
static inline void *untag(const void *p)
{
	return (void *)((unsigned long)p & ~3UL);
}

static inline struct slot *tagged_slot(const void *p)
{
	return (struct slot *)untag(p);
}

void holder_setup(void *dev)
{
	struct holder *h = kzalloc(sizeof(*h), GFP_KERNEL);
	struct holder local;
	struct slot *t = kzalloc(sizeof(*t), GFP_KERNEL);

	tagged_slot(t)->dev = dev;
	holder_slot(h)->dev = dev;
	holder_first(&local)->dev = dev;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot::dev' races with lockless reader slot_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(holder_first(&local)->dev, dev);
}
