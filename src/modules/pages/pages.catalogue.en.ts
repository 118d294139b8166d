/** Static pages: the module's interface messages in English (ICU MessageFormat), the reference catalogue. */
export const pagesEn = {
  "admin.nav.pages": "Pages",
  "pages.admin.title": "Pages",
  "pages.admin.new": "Create a page",
  "pages.admin.edit": "Edit page: {title}",
  "pages.admin.created": "The page has been created as a draft.",
  "pages.field.title": "Title",
  "pages.field.slug": "Address (slug)",
  "pages.field.slugHint": "Words of letters and digits joined by hyphens, in lower case, with Latin letters written without accents; made from the title when empty.",
  "pages.field.body": "Text",
  "pages.field.nav": "Position in the main navigation",
  "pages.field.navHint": "A number; leave empty to keep the page out of the navigation.",
  "pages.error.nav": "Enter the position as a whole number from 1 to 99, or leave it empty",
  "pages.error.slugTaken": "Another page already uses this address in this language",
  "pages.error.reserved": "This address is used by the site itself: choose another",
  "pages.col.nav": "In navigation",
  "pages.none": "No page yet.",
} satisfies Record<string, string>;
