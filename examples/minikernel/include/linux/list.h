/* Lists, timers and RCU waits, as far as kmark's tests need them. */
#ifndef KMARK_TEST_LINUX_LIST_H
#define KMARK_TEST_LINUX_LIST_H

struct list_head {
  struct list_head *next, *prev;
};
void list_add(struct list_head *entry, struct list_head *head);
void list_del(struct list_head *entry);
void list_add_rcu(struct list_head *entry, struct list_head *head);
void list_del_rcu(struct list_head *entry);
void synchronize_rcu(void);

struct timer_list {
  void (*function)(struct timer_list *t);
};
int del_timer_sync(struct timer_list *timer);

#endif
