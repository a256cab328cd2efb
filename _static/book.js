// Click a figure to open it full size (on a phone the column is ~360 px; the image is 1,400 px wide).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".bd-article figure img, .bd-article .cell_output img").forEach(function (img) {
    if (img.closest("a")) { return; }
    var link = document.createElement("a");
    link.href = img.currentSrc || img.src;
    link.className = "book-zoom";
    link.title = "Open the figure full size";
    img.parentNode.insertBefore(link, img);
    link.appendChild(img);
  });
});

// Tables of prose are one block per row (book.css), and a chapter's ledger summary a list on a phone: each
// cell carries its column's header as a label.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".bd-article table.text-table, .bd-article table.ledger-summary").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.innerText.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (headers[i]) { cell.setAttribute("data-label", headers[i]); }
      });
    });
  });
});
